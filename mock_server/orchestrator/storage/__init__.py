"""Storage buckets' files: their paths, the emulator's size limits, and pre-signed blob URIs."""
