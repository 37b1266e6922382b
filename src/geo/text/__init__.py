"""Text leaves: name folding and the patterns of a table cell, used by every layer above."""
