// The README's worker example, as an app pastes it in.
import { exposeClassifier } from 'inception-webgpu';
exposeClassifier();
