"""asyncshift's shims: what lets an application's old (sync) and new (async) code live side by side.

Nothing here imports the application it moves: the toolkit stands around it, not inside it.
"""

__version__ = "0.1.0"
