// What the Node API says when an optional peer (sharp, webgpu) is not installed: code and message, as JSON.
import { decodeImage, isInceptionError, loadClassifier } from 'inception-webgpu/node';

const [model, imageFile] = process.argv.slice(2);

async function failure(promise) {
  try {
    await promise;
    return { code: 'no error' };
  } catch (error) {
    return { code: isInceptionError(error) ? error.code : `not an InceptionError: ${error?.name}`, message: String(error?.message) };
  }
}

console.log(JSON.stringify({
  sharp: await failure(decodeImage(imageFile)),
  webgpu: await failure(loadClassifier({ modelUrl: model, backend: 'webgpu' })),
}));
