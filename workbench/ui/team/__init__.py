"""Team work: whose ratings are shown, disagreement, rating sheets, the workshop screen."""
