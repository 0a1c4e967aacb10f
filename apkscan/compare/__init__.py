"""Comparisons across apps: code families (re-skins) and what changed between two versions."""
