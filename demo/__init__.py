"""Sample data: the demo directory, articles and FAQ. Production settings leave it out."""
