// The README's first example, as an app pastes it in.
import { loadClassifier } from 'inception-webgpu';

const classifier = await loadClassifier({ modelUrl: '/models/inception_v3/model.json' });
const image = document.querySelector('img');
if (image) console.log(await classifier.classify(image, { topK: 2 }));
