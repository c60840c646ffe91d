"""Staff accounts: login (Flask-Login), roles, municipality scope, throttled attempts."""
