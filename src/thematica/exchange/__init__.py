"""Exchange with other QDA tools: REFI-QDA projects (.qdpx) and codebooks (.qdc)."""
