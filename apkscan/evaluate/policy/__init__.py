"""What a privacy policy admits, and how that compares with what the app requests and reads."""
