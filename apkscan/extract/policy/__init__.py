"""From policy text to sentences (with their sections and lead-ins), and finding the policies an APK carries."""
