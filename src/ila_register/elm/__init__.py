"""European Learning Model publication: the mapping engine (reading elm_mappings/), RDF and LOQ XML writers."""
