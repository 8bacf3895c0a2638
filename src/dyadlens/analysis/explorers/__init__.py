"""The explorers of documents, quotes, designations and actors, on the machinery they share with the
events explorer (:mod:`dyadlens.analysis.explorers.base`)."""
