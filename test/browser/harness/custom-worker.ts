// The documented explicit variant: a user's own worker file that serves the classifier.
import { exposeClassifier } from 'inception-webgpu';

exposeClassifier();
