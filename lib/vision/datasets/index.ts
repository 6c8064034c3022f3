// vision.datasets: ImageFolder/DatasetFolder, MNIST/FashionMNIST, and writing datasets as ImageFolder trees.
export { DatasetFolder, ImageFolder, IMG_EXTENSIONS, findClasses, makeDataset, hasFileAllowedExtension, isImageFile, defaultLoader } from './folder';
export type { DatasetFolderOptions, ImageFolderOptions, Loader } from './folder';
export { MNIST, FashionMNIST, readIdx } from './mnist';
export type { MNISTOptions } from './mnist';
export { saveImageFolder } from './utils';
export type { SaveImageFolderOptions } from './utils';
