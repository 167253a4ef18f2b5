# SPDX-License-Identifier: BSL-1.0
"""Runs packaging/conan/conanfile.py through the steps of ``conan create`` without Conan.

Conan is not installable here, so the few ``conan`` names the recipe imports are replaced by small
stand-ins (plain cmake configure/install, Conan's pattern copy, a C++-standard check). The recipe's
methods then run in Conan's order: export_sources, requirements (with and without ``with_json``),
validate (C++17 rejected, C++20 accepted), generate, build, package, package_info. Checked: the exported
sources are enough to configure and install the project; the package holds exactly the project's headers
and the licence, nothing else; package_info names the CMake file/target and pkg-config module as the
project does and requires only declared dependencies (Conan rejects a component requirement on a package
that is not required).
Not checked (needs Conan and a remote): that the dependency references resolve, that CMakeDeps generates a
working tiermargin-config.cmake, and the test_package build.
Usage: python3 conan_recipe.py <source dir> <work dir> <C++ compiler>
"""
import fnmatch
import importlib.util
import os
import pathlib
import shutil
import subprocess
import sys
import types

sys.dont_write_bytecode = True  # importing the recipe must not leave __pycache__ in the source tree
source_dir, work_dir, cxx = (pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3])
shutil.rmtree(work_dir, ignore_errors=True)
work_dir.mkdir(parents=True)


class ConanInvalidConfiguration(Exception):
    pass


# --- stand-ins for the conan API the recipe uses ---------------------------------------------------------
class Settings:
    def __init__(self, values):
        self._values = values

    def get_safe(self, name, default=None):
        return self._values.get(name, default)


class Options(types.SimpleNamespace):
    pass


class CppInfo:
    def __init__(self):
        self.properties = {}
        self.requires = []
        self.includedirs = ["include"]
        self.libdirs = ["lib"]
        self.bindirs = ["bin"]

    def set_property(self, name, value):
        self.properties[name] = value


class ConanFile:
    pass


def copy(conanfile, pattern, src, dst):
    """Conan's copy: files under src whose path relative to src matches pattern keep that path under dst."""
    copied = []
    for path in sorted(pathlib.Path(src).rglob("*")):
        relative = path.relative_to(src).as_posix()
        if path.is_file() and fnmatch.fnmatch(relative, pattern):
            target = pathlib.Path(dst) / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            copied.append(relative)
    return copied


def rmdir(conanfile, path):
    shutil.rmtree(path, ignore_errors=True)


def check_min_cppstd(conanfile, cppstd):
    value = conanfile.settings.get_safe("compiler.cppstd")
    if value is None or int(str(value).replace("gnu", "")) < int(cppstd):
        raise ConanInvalidConfiguration(f"requires C++{cppstd}, got {value}")


def run(*command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}")


class CMake:
    def __init__(self, conanfile):
        self._conanfile = conanfile

    def configure(self, variables=None):
        c = self._conanfile
        definitions = [f"-D{k}={v}" for k, v in (variables or {}).items()]
        run("cmake", "-S", c.source_folder, "-B", c.build_folder, f"-DCMAKE_CXX_COMPILER={cxx}",
            "-DCMAKE_BUILD_TYPE=Release", f"-DCMAKE_INSTALL_PREFIX={c.package_folder}", *definitions)

    def build(self):
        run("cmake", "--build", self._conanfile.build_folder)

    def install(self):
        run("cmake", "--install", self._conanfile.build_folder, "--prefix", self._conanfile.package_folder)


class Generator:
    def __init__(self, conanfile):
        pass

    def generate(self):
        pass


def module(name, **members):
    m = types.ModuleType(name)
    m.__dict__.update(members)
    sys.modules[name] = m


module("conan", ConanFile=ConanFile)
module("conan.errors", ConanInvalidConfiguration=ConanInvalidConfiguration)
module("conan.tools")
module("conan.tools.build", check_min_cppstd=check_min_cppstd, can_run=lambda conanfile: True)
module("conan.tools.cmake", CMake=CMake, CMakeDeps=Generator, CMakeToolchain=Generator,
       cmake_layout=lambda conanfile: None)
module("conan.tools.files", copy=copy, rmdir=rmdir)

# --- conan create, step by step ---------------------------------------------------------------------------
recipe_path = source_dir / "packaging/conan/conanfile.py"
spec = importlib.util.spec_from_file_location("tiermargin_conanfile", recipe_path)
recipe_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(recipe_module)
Recipe = recipe_module.TiermarginConan
errors = []


def make(with_json, cppstd="20"):
    r = Recipe()
    r.recipe_folder = str(recipe_path.parent)
    r.export_sources_folder = r.source_folder = str(work_dir / "export_source")
    r.build_folder = str(work_dir / "build")
    r.package_folder = str(work_dir / "package")
    r.options = Options(with_json=with_json)
    r.settings = Settings({"os": "Linux", "arch": "x86_64", "compiler": "gcc", "compiler.cppstd": cppstd,
                           "build_type": "Release"})
    r.cpp_info = CppInfo()
    r.required = []
    r.requires = lambda reference, **kwargs: r.required.append(reference)
    return r


for with_json in (False, True):
    r = make(with_json)
    r.requirements()
    names = sorted(reference.split("/")[0] for reference in r.required)
    expected = sorted(["eigen", "boost"] + (["nlohmann_json"] if with_json else []))
    if names != expected:
        errors.append(f"with_json={with_json}: requires {r.required}, expected packages {expected}")
    r.package_info()
    for requirement in r.cpp_info.requires:
        if requirement.split("::")[0] not in names:
            errors.append(f"with_json={with_json}: package_info requires {requirement!r}, not a requirement")
    if sorted({req.split("::")[0] for req in r.cpp_info.requires}) != names:
        errors.append(f"with_json={with_json}: cpp_info.requires {r.cpp_info.requires} does not use every "
                      f"requirement {names}")

try:
    make(False, cppstd="gnu17").validate()
    errors.append("validate() accepted compiler.cppstd=gnu17")
except ConanInvalidConfiguration:
    pass
make(False, cppstd="20").validate()

r = make(False)
r.export_sources()
r.layout()
r.generate()
r.build()
r.package()
r.package_info()

package = pathlib.Path(r.package_folder)
packaged = sorted(p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file())
headers = sorted("include/" + p.relative_to(source_dir / "include").as_posix()
                 for p in (source_dir / "include").rglob("*") if p.is_file())
if packaged != sorted(headers + ["licenses/LICENSE"]):
    extra = sorted(set(packaged) - set(headers) - {"licenses/LICENSE"})
    missing = sorted(set(headers + ["licenses/LICENSE"]) - set(packaged))
    errors.append(f"package contents differ: extra {extra}, missing {missing}")
expected_properties = {"cmake_file_name": "tiermargin", "cmake_target_name": "tiermargin::tiermargin",
                       "pkg_config_name": "tiermargin"}
if r.cpp_info.properties != expected_properties:
    errors.append(f"package_info properties {r.cpp_info.properties}, expected {expected_properties}")
if r.cpp_info.libdirs or r.cpp_info.bindirs or r.cpp_info.includedirs != ["include"]:
    errors.append("a header-only package has include/ only (libdirs and bindirs empty)")
if getattr(Recipe, "package_type", None) != "header-library":
    errors.append("package_type must be header-library")

if errors:
    sys.exit("\n".join(errors))
print(f"conan recipe {Recipe.name}/{Recipe.version}: exported, packaged {len(headers)} headers + licence")
