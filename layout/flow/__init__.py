"""Flow composed lines into the column regions of an article box."""
