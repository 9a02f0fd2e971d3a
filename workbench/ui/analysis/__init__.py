"""Analysis views: scores, sensitivity, Bayesian view, timeline, milestones, steps, report."""
