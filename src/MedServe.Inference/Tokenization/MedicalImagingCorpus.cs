namespace MedServe.Inference.Tokenization;

/// <summary>
/// A small English corpus of medical-imaging prompts and report phrases, written for MedServe, from which
/// <see cref="ClipVocabularyBuilder"/> learns the merges of the synthetic demo vocabulary. Phrases follow
/// the zero-shot prompt shape <c>&lt;modality&gt; &lt;anatomy&gt; &lt;exam parameters&gt; &lt;condition&gt;</c>.
/// Changing this text changes the demo vocabulary (and every demo package built from it).
/// </summary>
internal static class MedicalImagingCorpus
{
    /// <summary>One phrase per line.</summary>
    public const string Text = """
        x-ray chest anteroposterior atelectasis.
        x-ray chest posteroanterior cardiomegaly
        x-ray chest lateral pleural effusion
        x-ray chest anteroposterior no finding
        x-ray chest posteroanterior pneumothorax
        x-ray chest portable supine consolidation
        x-ray chest anteroposterior edema
        x-ray chest posteroanterior emphysema
        x-ray chest anteroposterior fibrosis
        x-ray chest posteroanterior pleural thickening
        x-ray chest anteroposterior hernia
        x-ray chest posteroanterior infiltration
        x-ray chest anteroposterior mass
        x-ray chest posteroanterior nodule
        x-ray chest anteroposterior pneumonia
        x-ray chest support devices endotracheal tube nasogastric tube central venous catheter
        x-ray chest lung opacity enlarged cardiomediastinum fracture lung lesion
        x-ray abdomen supine bowel gas pattern small bowel obstruction
        x-ray pelvis anteroposterior hip fracture
        x-ray knee lateral joint effusion osteoarthritis
        x-ray hand posteroanterior rheumatoid arthritis erosions
        x-ray wrist distal radius fracture
        x-ray ankle mortise view lateral malleolus fracture
        x-ray shoulder glenohumeral dislocation
        x-ray spine lumbar degenerative disc disease
        x-ray skull lateral sinus opacification
        ct abdomen liver lesion
        ct abdomen pelvis with contrast appendicitis
        ct abdomen arterial phase hepatocellular carcinoma
        ct abdomen portal venous phase liver metastases
        ct abdomen pancreas adenocarcinoma pancreatic duct dilatation
        ct abdomen kidney renal cell carcinoma
        ct abdomen kidney stone hydronephrosis
        ct abdomen spleen splenomegaly
        ct abdomen adrenal adenoma
        ct abdomen gallbladder cholecystitis gallstones
        ct abdomen colon diverticulitis
        ct abdomen aorta abdominal aortic aneurysm
        ct chest lung nodule
        ct chest pulmonary embolism angiography
        ct chest ground glass opacity covid-19 infection
        ct chest emphysema bronchiectasis
        ct chest mediastinal lymphadenopathy
        ct chest interstitial lung disease honeycombing
        ct head non-contrast intracranial hemorrhage
        ct head subdural hematoma midline shift
        ct head ischemic stroke hypodensity
        ct head skull fracture
        ct neck thyroid nodule
        ct spine cervical vertebral fracture
        ct sinus mucosal thickening
        ct coronary calcium score
        mri brain t1 weighted glioblastoma
        mri brain t2 weighted flair white matter hyperintensities multiple sclerosis
        mri brain diffusion weighted acute infarct
        mri brain contrast enhanced meningioma
        mri brain pituitary adenoma
        mri brain metastasis edema
        mri brain tumor enhancing tumor necrotic core peritumoral edema
        mri spine lumbar disc herniation spinal stenosis
        mri spine cervical myelopathy
        mri knee anterior cruciate ligament tear meniscus tear
        mri shoulder rotator cuff tear
        mri prostate peripheral zone lesion
        mri liver hepatic steatosis
        mri cardiac left ventricle right ventricle myocardium
        mri breast dynamic contrast enhanced malignancy
        ultrasound abdomen liver cirrhosis ascites
        ultrasound abdomen gallbladder sludge
        ultrasound kidney cyst
        ultrasound thyroid nodule
        ultrasound breast benign lesion malignant lesion
        ultrasound pelvis ovary cyst uterus fibroid
        ultrasound obstetric fetal head fetal abdomen femur length
        ultrasound echocardiography left ventricular ejection fraction
        ultrasound carotid artery plaque stenosis
        ultrasound deep vein thrombosis
        mammography breast craniocaudal mediolateral oblique mass calcification
        mammography breast architectural distortion asymmetry
        fundus photography retina diabetic retinopathy
        fundus photography optic disc glaucoma
        fundus photography macular degeneration drusen
        optical coherence tomography retina macular edema
        dermatology photograph skin melanoma
        dermatology photograph skin nevus basal cell carcinoma
        dermatology photograph skin squamous cell carcinoma actinic keratosis
        pathology hematoxylin eosin histology adenocarcinoma
        pathology whole slide image lymph node metastasis
        pathology histology structure glandular epithelium
        pathology tumor infiltrating lymphocytes stroma necrosis
        pathology colon polyp dysplasia
        pathology prostate gleason pattern
        pet ct fluorodeoxyglucose uptake lymphoma
        nuclear medicine bone scan metastases
        endoscopy colon polyp
        left lung right lung heart liver kidney spleen pancreas stomach bladder
        left kidney right kidney left ventricle right atrium aorta vena cava
        brain anatomies eye anatomies heart anatomies vessel other organ
        tumor infection other lesion fluid disturbance other abnormality
        normal study without acute abnormality
        findings: there is a small left pleural effusion with adjacent atelectasis.
        findings: the cardiac silhouette is enlarged. pulmonary vascular congestion.
        findings: no focal consolidation, pleural effusion or pneumothorax.
        findings: the lungs are clear. the heart size is normal.
        findings: there is mild bibasilar atelectasis.
        findings: interval placement of a right internal jugular central venous catheter.
        findings: the tip of the endotracheal tube is above the carina.
        findings: degenerative changes of the thoracic spine.
        impression: no acute cardiopulmonary process.
        impression: findings are consistent with pneumonia in the right lower lobe.
        impression: moderate cardiomegaly with mild pulmonary edema.
        impression: small pneumothorax at the left apex.
        impression: new right upper lobe opacity, concerning for infection.
        impression: stable appearance of the chest compared with the prior examination.
        the patient's heart is normal. there's no effusion; it's unchanged.
        compared to the previous radiograph, the opacity has improved.
        upper lobe middle lobe lower lobe lingula hilum costophrenic angle diaphragm
        trachea bronchus carina mediastinum pericardium pleura rib clavicle scapula sternum
        axial coronal sagittal oblique frontal lateral view
        bilateral unilateral diffuse focal multifocal patchy nodular linear reticular
        mild moderate severe small large increased decreased stable unchanged improved worsening
        acute chronic subacute likely possible probable suspicious consistent with
        enlarged dilated thickened calcified enhancing hypodense hyperdense hypoechoic hyperechoic
        contrast non-contrast arterial venous delayed phase
        millimeter centimeter measuring approximately 12 mm 3 cm
        vertebra vertebral body intervertebral disc spinal cord nerve root foramen
        femur tibia fibula humerus radius ulna pelvis sacrum coccyx patella
        cerebrum cerebellum brainstem ventricle hippocampus thalamus basal ganglia cortex
        esophagus duodenum jejunum ileum cecum appendix rectum sigmoid colon
        adrenal gland thyroid gland parotid gland lymph node
        artery vein aneurysm dissection occlusion thrombus embolus
        cyst abscess hematoma hemorrhage calcification granuloma scar
        malignancy metastasis carcinoma sarcoma lymphoma melanoma benign neoplasm
        inflammation infection pneumonia tuberculosis abscess cellulitis osteomyelitis
        fracture dislocation subluxation osteoporosis osteopenia arthritis
        effusion ascites edema fluid collection free air pneumoperitoneum
        cardiomegaly pericardial effusion pulmonary hypertension
        pneumothorax hydropneumothorax tension pneumothorax chest tube
        atelectasis consolidation ground glass opacity air bronchogram
        radiograph radiography computed tomography magnetic resonance imaging sonography
        radiologist report findings impression indication technique comparison history
        male female adult child infant pediatric elderly patient
        sinusitis mastoiditis otitis cholesteatoma labyrinth cochlea orbit globe lens vitreous choroid sclera cornea
        retinal detachment papilledema microaneurysm exudate neovascularization vitreous hemorrhage cataract
        hydrocephalus ventriculomegaly encephalomalacia gliosis leukoencephalopathy microhemorrhage cavernoma
        astrocytoma oligodendroglioma ependymoma medulloblastoma schwannoma craniopharyngioma hemangioblastoma
        subarachnoid epidural intraparenchymal intraventricular herniation uncal transtentorial cerebellar tonsils
        vasculitis vasospasm moyamoya arteriovenous malformation fistula stenosis recanalization collateral
        cardiomyopathy myocarditis pericarditis endocarditis valvular regurgitation calcific aortic stenosis mitral
        tricuspid pulmonic valve prosthesis pacemaker defibrillator leads sternotomy wires coronary bypass graft
        bronchiolitis bronchopneumonia aspiration sarcoidosis silicosis asbestosis mesothelioma hamartoma carcinoid
        cavitation cavitary halo sign tree-in-bud mosaic attenuation crazy paving septal thickening kerley lines
        hepatomegaly hemangioma cholangiocarcinoma biliary ductal dilatation choledocholithiasis cholangitis
        pancreatitis pseudocyst necrosis peripancreatic splenic infarct portal hypertension varices splenorenal shunt
        nephrolithiasis ureterolithiasis pyelonephritis angiomyolipoma oncocytoma urothelial bladder wall thickening
        prostatomegaly seminal vesicle testicular torsion epididymitis varicocele hydrocele orchitis
        endometrioma adenomyosis leiomyoma endometrial thickening ovarian torsion ectopic pregnancy placenta previa
        intussusception volvulus malrotation pyloric stenosis necrotizing enterocolitis meconium ileus
        appendicolith mesenteric ischemia pneumatosis intestinalis portal venous gas perforation anastomosis
        hernia inguinal umbilical ventral incisional hiatal diaphragmatic eventration
        spondylolisthesis spondylolysis scoliosis kyphosis lordosis osteophyte facet arthropathy ligamentum flavum
        compression fracture burst fracture pathologic fracture stress fracture avulsion comminuted displaced
        osteonecrosis avascular chondrocalcinosis gout enthesopathy synovitis tenosynovitis bursitis tendinopathy
        labral tear rotator interval biceps tendon achilles plantar fasciitis osteochondral lesion loose body
        lymphangitis lymphedema soft tissue swelling subcutaneous emphysema foreign body gas gangrene
        thymoma teratoma germ cell neurogenic paravertebral posterior anterior middle mediastinal compartment
        goiter thyroiditis parathyroid adenoma lymphadenitis sialadenitis salivary submandibular retropharyngeal
        nasopharyngeal oropharyngeal laryngeal glottic supraglottic subglottic epiglottitis vocal cord paralysis
        hepatic segment couinaud caudate lobe falciform ligament porta hepatis gallbladder fossa
        gastric antrum fundus body pylorus duodenal bulb ampulla jejunal loops ileocecal valve haustra
        hypoattenuating hyperattenuating isoattenuating heterogeneous homogeneous enhancement washout capsule
        restricted diffusion susceptibility artifact motion artifact beam hardening streak artifact
        fluoroscopy angiography venography arthrography myelography urography cholangiography tomosynthesis
        elastography doppler spectral waveform resistive index peak systolic velocity
        segmentation classification detection localization grounding report generation embedding zero-shot
        """;
}
