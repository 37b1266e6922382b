"""People as entities: who a person is, their names in two scripts, and how a search finds them."""
