"""The project's shared vocabulary: records of agreements and chunks, the answer object, districts and
German text helpers. Used by `ingest`, `vectorstore` and `assistant`; it imports none of them."""
