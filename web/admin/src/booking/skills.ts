/** Skill codes used by the demo catalog; the editors also accept new codes. */
export const KNOWN_SKILLS = ['cleaning', 'appliance', 'home_care', 'nanny', 'maternity', 'elderly_care', 'patient_care']
