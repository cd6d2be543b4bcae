"""Built-in plugins, one package each; listed in `floorwalker.core.plugins.DEFAULT_PLUGINS`."""
