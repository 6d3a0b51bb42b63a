"""asyncshift's codemods: libcst transforms that move a module from the sync stack to the async one."""
