"""What every part of the window shares: the Document, dialogs, the palette, workers."""
