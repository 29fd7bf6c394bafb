"""The offline demo: a sample newsroom served over HTTP on 127.0.0.1 and replayed day by day."""
