"""The ACH domain: entities, rating scale, scoring. Standard library + numpy only."""
