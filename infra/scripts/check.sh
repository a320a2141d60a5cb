#!/usr/bin/env bash
# Builds and lints the Bicep templates under infra/ and fails on any error or warning.
#
#   bash infra/scripts/check.sh        (from the repository root, or from anywhere)
#
# Needs only the .NET SDK: the Bicep CLI comes from the NuGet package
# Azure.Bicep.CommandLine.linux-x64, restored once into infra/.tools/ (git-ignored) by a throwaway
# project in a temporary folder outside the repository, so the repository's Directory.*.props
# (central package management, analyzers) do not apply to it. Later runs reuse the binary.
# BICEP=/path/to/bicep uses an existing Bicep CLI instead.
set -euo pipefail

readonly BICEP_VERSION="0.49.2"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
infra_dir="$(cd "${script_dir}/.." && pwd)"
repo_root="$(cd "${infra_dir}/.." && pwd)"
tools_dir="${infra_dir}/.tools"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

fail() {
  echo "check.sh: $*" >&2
  exit 1
}

resolve_bicep() {
  if [[ -n "${BICEP:-}" ]]; then
    [[ -x "${BICEP}" ]] || fail "BICEP=${BICEP} is not an executable file"
    echo "${BICEP}"
    return
  fi

  local rid
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) rid="linux-x64" ;;
    *) fail "no Bicep CLI package for $(uname -s)-$(uname -m); set BICEP=/path/to/bicep" ;;
  esac

  local package_id="azure.bicep.commandline.${rid}"
  local binary="${tools_dir}/packages/${package_id}/${BICEP_VERSION}/tools/bicep"
  if [[ ! -x "${binary}" ]]; then
    command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK (dotnet) is needed to restore the Bicep CLI"
    echo "Restoring Bicep CLI ${BICEP_VERSION} (Azure.Bicep.CommandLine.${rid}) into infra/.tools ..." >&2

    local restore_dir
    restore_dir="$(mktemp -d)"
    # shellcheck disable=SC2064 # expand now: restore_dir is local
    trap "rm -rf '${restore_dir}'" EXIT
    # Empty Directory.Build.* files stop MSBuild from importing any found further up.
    echo '<Project />' >"${restore_dir}/Directory.Build.props"
    echo '<Project />' >"${restore_dir}/Directory.Build.targets"
    local sdk_version
    sdk_version="$(cd "${restore_dir}" && dotnet --version)" || fail "dotnet --version failed"
    cat >"${restore_dir}/restore-bicep.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net$(cut -d. -f1-2 <<<"${sdk_version}")</TargetFramework>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.${rid}" Version="[${BICEP_VERSION}]" />
  </ItemGroup>
</Project>
EOF
    local config_args=()
    for name in nuget.config NuGet.Config NuGet.config; do
      if [[ -f "${repo_root}/${name}" ]]; then
        config_args=(--configfile "${repo_root}/${name}")
        break
      fi
    done
    dotnet restore "${restore_dir}/restore-bicep.csproj" \
      --packages "${tools_dir}/packages" ${config_args[@]+"${config_args[@]}"} >"${restore_dir}/restore.log" 2>&1 ||
      {
        cat "${restore_dir}/restore.log" >&2
        fail "restoring Azure.Bicep.CommandLine.${rid} ${BICEP_VERSION} failed"
      }
    [[ -f "${binary}" ]] || fail "the restored package has no tools/bicep"
    chmod +x "${binary}"
  fi
  echo "${binary}"
}

bicep="$(resolve_bicep)"
cd "${repo_root}"
echo "Bicep: $("${bicep}" --version)"

# Bicep exits 0 on warnings, so its diagnostics (on stderr) are read: any "Warning" or "Error" fails.
# Compiled output (stdout) is discarded: the parameters file may carry secure values read from the
# environment, and nothing compiled belongs in the repository.
problems=0
run() {
  local label="$1"
  shift
  local output status=0
  output="$("$@" 2>&1 >/dev/null)" || status=$?
  if [[ -n "${output}" ]]; then
    echo "${output}"
  fi
  if ((status != 0)) || grep -Eq ' : (Warning|Error) ' <<<"${output}"; then
    echo "FAIL  ${label}"
    problems=$((problems + 1))
  else
    echo "ok    ${label}"
  fi
}

run "build infra/main.bicep" "${bicep}" build infra/main.bicep --stdout
run "build-params infra/main.bicepparam" "${bicep}" build-params infra/main.bicepparam --stdout
# One process lints main.bicep and every module (starting the CLI is the slow part).
run "lint infra/main.bicep infra/modules/*.bicep" "${bicep}" lint --pattern 'infra/**/*.bicep'
run "lint infra/main.bicepparam" "${bicep}" lint infra/main.bicepparam

if ((problems > 0)); then
  echo "check.sh: ${problems} check(s) failed" >&2
  exit 1
fi
echo "check.sh: all Bicep checks passed"
