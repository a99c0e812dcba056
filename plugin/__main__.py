"""The imagepipe component package's plugin: the folder holding PulumiPlugin.yaml runs this file.

The Pulumi CLI starts a Python plugin as `python <this folder> <engine address>`, with python from
this folder's `venv/` (built from `requirements.txt` here), and reads the gRPC port it prints. It
never reads a `main:` entry for plugins. Sources, in pulumi/pulumi:
sdk/go/common/workspace/project.go (`PluginProject`: runtime, packages, requiredPulumiVersion,
template), pkg/workspace/plugin.go (`InstallPluginAtPath`: entry point "."),
sdk/python/cmd/pulumi-language-python/main.go (`RunPlugin`, `parseOptions`: virtualenv `venv`).

`pulumi package add github.com/<owner>/imagepipe.git/plugin@v<version>` clones the whole repository
and uses this folder, so the components, the Lambda code they deploy (`handlers/`) and the layer
builder (`layers/`) are in the folder above, which is put on the import path first.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi.provider.experimental import component_provider_host

from components.hosted import COMPONENTS
from components.type_tokens import PACKAGE, VERSION

if __name__ == "__main__":
    component_provider_host(components=list(COMPONENTS), name=PACKAGE, version=VERSION)
