"""The embeddable widget: `embed.js`, the iframe pages' framing policy and look, and the snippet
page for staff. The iframe pages themselves are the survey pages (form and chat), registered a
second time under `/embed/<lang>/` as the blueprint "embed" (see `register`)."""
