"""The release as it would be installed, and the post-render that produces it.

``pipeline`` is post-render as one function (label the pods, enforce Pod Security,
generate the isolation, write the stream) behind the post-renderer, the wrappers,
``generate``, lint and graph; ``model`` is the typed ``Release`` every command after
it reads, built by ``build``; ``podsecurity`` says which documents Pod Security
checks and how they fare; ``quota_usage`` what the release charges against a quota;
``warnings`` the post-renderer's warnings as records.
"""
