export { rawZip, type RawZipEntry } from './raw-zip.js';
export { hostileArchives, type HostileArchive } from './hostile-archives.js';
