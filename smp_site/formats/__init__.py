"""Date formats of the site's own (settings.FORMAT_MODULE_PATH), where Django's differ."""
