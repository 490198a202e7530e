"""Speed benchmarks (python -m benchmarks): figures side by side with a baseline measured in
the same run, never unit tests. Generated corpora go to benchmarks/_data/ (git-ignored)."""
