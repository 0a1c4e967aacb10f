"""Reading privacy-policy files and pages: bounded reads, encodings, HTML/Markdown to text blocks, fetching."""
