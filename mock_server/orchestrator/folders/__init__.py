"""Folders: the headers that name one, the tree, built-in roles, and who may use which folder."""
