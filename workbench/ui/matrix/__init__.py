"""The matrix on screen: table model, view, frozen columns, score footer, rating cells."""
