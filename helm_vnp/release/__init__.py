"""The release as it would be installed, and the post-render that produces it.

- ``pipeline``: post-render as one function (label the pods, enforce Pod Security, generate the
  isolation, write the stream), behind the post-renderer, the wrappers, ``generate``, lint and graph;
- ``load``: from a chart or rendered files to the ``Release``, reading with ``inputs`` (files,
  directories, stdin, a real ``helm template``), ``documents`` (their documents, each knowing where it
  came from) and ``chart_files`` (where in a template file an object starts), then ``build``;
- ``model``: the typed ``Release`` every command after the post-render reads;
- ``podsecurity``: which documents Pod Security checks and how they fare;
- ``quota_usage``: what the release charges against a ResourceQuota;
- ``warnings``: the post-renderer's warnings as records.
"""
