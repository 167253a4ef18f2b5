# SPDX-License-Identifier: BSL-1.0
"""Every place that states tiermargin's version states the same one, and the Conan recipes compile.

Checked: project(VERSION) in CMakeLists.txt, TIERMARGIN_VERSION_* in include/tiermargin/version.hpp,
"version-semver" in packaging/vcpkg/tiermargin/vcpkg.json, the recipe's ``version`` attribute in
packaging/conan/conanfile.py (read with ast, not imported: Conan is not needed), and a "## [X.Y.Z]" release
section in CHANGELOG.md. Both conanfiles must byte-compile (py_compile). Licence: BSL-1.0 everywhere.
Usage: python3 check_metadata.py <source dir>
"""
import ast
import json
import pathlib
import py_compile
import re
import sys
import tempfile

root = pathlib.Path(sys.argv[1])
errors = []


def read(relative):
    try:
        return (root / relative).read_text(encoding="utf-8")
    except OSError as error:
        errors.append(str(error))
        return ""


def class_attribute(path, name):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for statement in node.body:
                if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                        and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == name
                        and isinstance(statement.value, ast.Constant)):
                    return statement.value.value
    return None


match = re.search(r"^project\(tiermargin VERSION (\d+\.\d+\.\d+)\b", read("CMakeLists.txt"), re.MULTILINE)
if not match:
    sys.exit("CMakeLists.txt: no 'project(tiermargin VERSION X.Y.Z' line")
cmake_version = match.group(1)

header = read("include/tiermargin/version.hpp")
parts = [re.search(rf"^#define TIERMARGIN_VERSION_{p} (\d+)$", header, re.MULTILINE) for p in ("MAJOR", "MINOR", "PATCH")]
header_version = ".".join(m.group(1) for m in parts) if all(parts) else None

manifest = json.loads(read("packaging/vcpkg/tiermargin/vcpkg.json"))
conanfile = root / "packaging/conan/conanfile.py"

for name, version in (("include/tiermargin/version.hpp", header_version),
                      ("packaging/vcpkg/tiermargin/vcpkg.json", manifest.get("version-semver")),
                      ("packaging/conan/conanfile.py", class_attribute(conanfile, "version"))):
    if version != cmake_version:
        errors.append(f"{name} states version {version!r}, CMakeLists.txt {cmake_version!r}")

if not re.search(rf"^## \[{re.escape(cmake_version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", read("CHANGELOG.md"), re.MULTILINE):
    errors.append(f"CHANGELOG.md has no '## [{cmake_version}] - YYYY-MM-DD' section")

for name, licence in (("vcpkg.json", manifest.get("license")), ("conanfile.py", class_attribute(conanfile, "license"))):
    if licence != "BSL-1.0":
        errors.append(f"{name} declares licence {licence!r}, the project BSL-1.0")

with tempfile.TemporaryDirectory() as scratch:  # the bytecode goes there, not into the source tree
    for recipe in (conanfile, root / "packaging/conan/test_package/conanfile.py"):
        try:
            py_compile.compile(str(recipe), cfile=str(pathlib.Path(scratch) / "recipe.pyc"), doraise=True)
        except py_compile.PyCompileError as error:
            errors.append(str(error))

if errors:
    sys.exit("\n".join(errors))
print(f"tiermargin {cmake_version}: CMake, version.hpp, vcpkg.json, conanfile.py and CHANGELOG.md agree")
