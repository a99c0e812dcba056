"""The one error a layer build raises: the layer would be wrong, so nothing is written."""


class LayerBuildError(Exception):
    """pip failed, or picked something the requirements and the target runtime do not allow."""
