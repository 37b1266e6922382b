"""Places: the name index, the offline gazetteer, geocoding adapters, mentions in articles, locations.csv and borders."""
