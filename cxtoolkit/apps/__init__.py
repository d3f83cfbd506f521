"""Widget builders behind the Voila apps (``notebooks/<name>.ipynb``) and their launcher.

- :mod:`cxtoolkit.apps.roi_app`: the executive ROI simulator (``build_roi_app``);
- :mod:`cxtoolkit.apps.serve`: serve any app notebook with Voila on 127.0.0.1;
- :mod:`cxtoolkit.apps.data`: load a client's configuration and data for an app.
"""
