"""Places: an offline gazetteer, the places a document names and where its events happened."""
