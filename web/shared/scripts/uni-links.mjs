// uni-app's mini-program compiler names every file by its path relative to <app>/src and
// expects node_modules to sit in <app>/. npm workspaces hoist packages to web/node_modules,
// which gives "../node-modules/..." chunk names and a failed build. We link the packages whose
// sources end up in the mini program into <app>/node_modules and build with
// resolve.preserveSymlinks, so their paths stay inside <app>/node_modules.
import { existsSync, lstatSync, mkdirSync, symlinkSync, realpathSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { createRequire } from 'node:module'

export const LINKED_PACKAGES = ['wot-design-uni', '@anjia/shared']

export function linkHoistedPackages(appDir, names = LINKED_PACKAGES) {
  const require = createRequire(join(appDir, 'package.json'))
  for (const name of names) {
    const target = join(appDir, 'node_modules', name)
    if (existsSync(target)) continue
    let pkgDir
    try {
      pkgDir = dirname(require.resolve(`${name}/package.json`))
    } catch {
      continue
    }
    pkgDir = realpathSync(pkgDir)
    if (resolve(pkgDir) === resolve(target)) continue
    mkdirSync(dirname(target), { recursive: true })
    try {
      lstatSync(target)
    } catch {
      symlinkSync(relative(dirname(target), pkgDir), target, 'dir')
    }
  }
}
