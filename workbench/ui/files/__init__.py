"""Files: open, create, import and export from the window (formats: exchange/formats.py)."""
