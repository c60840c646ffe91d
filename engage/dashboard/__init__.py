"""The strategy team's and municipalities' workspace: summaries, comparison, exports, jobs."""
