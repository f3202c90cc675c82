"""The SmartRe workflow definitions and their renderer (pure: no AWS calls)."""
