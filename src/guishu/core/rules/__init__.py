"""The engine's fact handlers, one module per family of facts."""
