"""Entry point of the imagepipe component package (PulumiPlugin.yaml's `main`).

`pulumi package add <this repository or its path>` runs this to read the package's schema, and
every `pulumi up` of a consuming project runs it to construct the components. The components,
the Lambda code they deploy (`handlers/`) and the layer builder (`layers/`) sit beside this folder
in the repository root, which is put on the import path first.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi.provider.experimental import component_provider_host

from components.hosted import COMPONENTS
from components.type_tokens import PACKAGE, VERSION

if __name__ == "__main__":
    component_provider_host(components=list(COMPONENTS), name=PACKAGE, version=VERSION)
