"""Output pages: a pair's outputs (pair_outputs), review by facilitators (review), the public library
(library) and file downloads (files)."""
