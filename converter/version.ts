/** Written into every converted model; kept equal to package.json's version by a test. */
export const CONVERTER_VERSION = '0.1.0';
