"""Environment variables read by cxtoolkit whose names the command needs at start-up.

A module without imports: ``cxtoolkit --help`` names ``CXTOOLKIT_HOME`` (``--workdir``)
without importing the configuration layer (pydantic and yaml, ~0.1 s).
"""

#: the working folder (client_data/, reports/, cxtoolkit.yml); ``cxtoolkit --workdir``
ENV_HOME = "CXTOOLKIT_HOME"

#: a folder caching parsed client files (:mod:`cxtoolkit.io.cache`); ``cxtoolkit validate``
#: starts no early read (:mod:`cxtoolkit.io.prefetch`) when it is set
ENV_CACHE_DIR = "CXTOOLKIT_CACHE_DIR"

#: the language of an audit (``fr``, ``en``), set for its notebooks' kernels: an input error
#: raised in a kernel is said in it beside its English line (:func:`cxtoolkit.audit.kernels.show_error`)
ENV_AUDIT_LOCALE = "CXTOOLKIT_AUDIT_LOCALE"

#: the language of an app's page (``fr``, ``en``), set by ``cxtoolkit app --locale`` for the
#: kernels Voila starts: under Voila it wins over client.yml's ``locale``
#: (:func:`cxtoolkit.apps.context.app_locale`); unset, the page follows client.yml
ENV_APP_LOCALE = "CXTOOLKIT_APP_LOCALE"
