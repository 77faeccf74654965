"""The kernel: exceptions, types, clock, text and other pure building blocks.

Nothing here imports anything else of the register, nor does any I/O (the import contract in
pyproject.toml checks it).
"""
