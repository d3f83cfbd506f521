"""Environment variables read by cxtoolkit whose names the command needs at start-up.

A module without imports: ``cxtoolkit --help`` names ``CXTOOLKIT_HOME`` (``--workdir``)
without importing the configuration layer (pydantic and yaml, ~0.1 s).
"""

#: the working folder (client_data/, reports/, cxtoolkit.yml); ``cxtoolkit --workdir``
ENV_HOME = "CXTOOLKIT_HOME"
