/**
 * Latin-script names of foreign residents, by naming tradition. Our own lists of common names (facts,
 * not anyone's data set), spelt as passports of the country spell them: with diacritics where the
 * national alphabet has them (José, Müller, François, Nguyễn), romanised Russian in the ICAO 9303
 * transliteration (Sergei, Anastasiia), Korean in Revised Romanisation with a hyphen (Min-jun),
 * Japanese in passport Hepburn (no macrons), Hokkien surnames as Malaysians, Singaporeans and
 * Indonesians of Fujianese descent write them (Tan 陈, Lim 林, Ng 黄 …).
 *
 * The lists are written as comma-separated text so that multi-word names (De la Cruz, van der Berg)
 * read naturally; `names()` splits them.
 */

export type NameGroup =
  | 'english'
  | 'spanish'
  | 'filipino'
  | 'german'
  | 'dutch'
  | 'french'
  | 'russian'
  | 'korean'
  | 'japanese'
  | 'hokkien'
  | 'malay'
  | 'indonesian'
  | 'vietnamese'
  | 'indian'
  | 'thai';

/** Where a person's family name comes from, beyond "drawn from the list, shared by the household". */
export type FamilyRule =
  /** A list name; the wife takes the husband's, children the father's. */
  | 'shared'
  /** Spouses keep their own; children take the father's (Korea, Vietnam, Hokkien Chinese). */
  | 'kept'
  /** Gendered forms: Ivanov / Ivanova (the list holds the male form). */
  | 'slavic'
  /** Two surnames, father's first + mother's first (García López); spouses keep theirs. */
  | 'spanish'
  /** No family name: "bin"/"binti" + the father's given name, as Malay passports write it. */
  | 'malay';

export interface LatinNameGroup {
  readonly family: readonly string[];
  /** The commonest family names and their joint share of the group (Kim, Lee, Park ≈ 45 % of Koreans). */
  readonly common?: { readonly names: readonly string[]; readonly share: number };
  readonly male: readonly string[];
  readonly female: readonly string[];
  readonly familyRule: FamilyRule;
  /** Written family name first ("NGUYEN Van Hung", "KIM Min-jun"), as the tradition orders names. */
  readonly familyFirst: boolean;
  /** Share of people with a middle name and where it comes from. */
  readonly middle?: {
    readonly share: number;
    /** 'given': another given name; 'family': the mother's maiden surname (Philippines); else a list. */
    readonly source:
      | 'given'
      | 'family'
      | { readonly male: readonly string[]; readonly female: readonly string[] };
    /** The middle name precedes the given name (Vietnamese Văn / Thị). */
    readonly first?: boolean;
  };
}

/** Splits a comma- or newline-separated list of names. */
export function names(text: string): readonly string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const ENGLISH_MALE = names(`James, John, Robert, Michael, William, David, Richard, Joseph, Thomas, Charles,
  Christopher, Daniel, Matthew, Anthony, Mark, Andrew, Paul, Steven, Kevin, Brian, George, Edward, Ryan,
  Jacob, Ethan, Noah, Liam, Oliver, Jack, Harry, Samuel, Benjamin, Lucas, Henry, Alexander, Nathan, Owen`);
const ENGLISH_FEMALE = names(`Mary, Patricia, Jennifer, Linda, Elizabeth, Barbara, Susan, Jessica, Sarah,
  Karen, Emily, Emma, Olivia, Sophia, Isabella, Charlotte, Amelia, Grace, Chloe, Hannah, Lucy, Megan,
  Rachel, Laura, Anna, Rebecca, Katherine, Victoria, Zoe, Mary-Jane, Anne-Marie, Ellie, Abigail, Ruby`);

export const LATIN_NAME_GROUPS: Readonly<Record<NameGroup, LatinNameGroup>> = {
  english: {
    family: names(`Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Taylor, Anderson, Thomas,
      Moore, Martin, Thompson, White, Harris, Clark, Lewis, Walker, Hall, Young, King, Wright, Scott, Green,
      Baker, Adams, Campbell, Mitchell, Roberts, Evans, Turner, O'Brien, O'Connor, MacDonald, McKenzie,
      Murphy, Kelly, Hughes, Edwards, Wood, Robinson, Cooper, Ward, Morgan, Bell, Murray, Stewart, Reid,
      Fraser, Sullivan, Gallagher, Davies-Evans, Ashby-Cole, Van Buren, St. John`),
    male: ENGLISH_MALE,
    female: ENGLISH_FEMALE,
    familyRule: 'shared',
    familyFirst: false,
    middle: { share: 0.7, source: 'given' },
  },
  spanish: {
    family: names(`García, Martínez, López, Hernández, González, Rodríguez, Pérez, Sánchez, Ramírez, Flores,
      Gómez, Díaz, Morales, Jiménez, Ruiz, Álvarez, Muñoz, Romero, Navarro, Torres, Vargas, Castillo,
      Ortiz, Rubio, Molina, Delgado, Núñez, Ibáñez, De la Fuente, Del Río, De León, Peña`),
    male: names(`José, Juan, Luis, Carlos, Javier, Alejandro, Miguel Ángel, Juan Carlos, Pablo, Andrés,
      Sergio, Raúl, Jesús, Diego, Fernando, Jorge, Álvaro, Iván, Rubén, Héctor, José Luis`),
    female: names(`María, María José, Lucía, Carmen, Ana, Sofía, Isabel, Elena, Laura, Paula, Marta, Inés,
      Verónica, Guadalupe, Rocío, Beatriz, Ángela, Mónica, Ana María, Daniela`),
    familyRule: 'spanish',
    familyFirst: false,
    middle: { share: 0.25, source: 'given' },
  },
  filipino: {
    family: names(`Santos, Reyes, Cruz, Bautista, Ocampo, Garcia, Mendoza, Torres, Tomas, Andrada,
      Castillo, Flores, Villanueva, Ramos, Castro, Rivera, Aquino, Navarro, Salazar, Mercado, Dela Cruz,
      De la Cruz, De los Santos, Del Rosario, De Guzman, Dela Paz, Aguilar, Gonzales, Manalo, Pascual,
      Santiago, Valdez, Soriano, Macaraeg, Dimaculangan, Magbanua, Lacson, Peñaflor`),
    male: names(`José, Juan, Mark Anthony, John Paul, Jerome, Rodel, Ramon, Carlo, Miguel, Angelo,
      Christian, Joshua, Jericho, Rommel, Ariel, Danilo, Eduardo, Francisco, Renato, Jomar, Niño, Rey`),
    female: names(`María, Maria Cristina, Ma. Luisa, Grace, Joy, Kristine, Jasmine, Angelica, Mary Grace,
      Rowena, Lorna, Marites, Jocelyn, Rosario, Teresita, Shiela, Princess, Analyn, Lovely, Cherry Ann`),
    familyRule: 'shared',
    familyFirst: false,
    middle: { share: 0.85, source: 'family' },
  },
  german: {
    family: names(`Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann,
      Schäfer, Koch, Bauer, Richter, Klein, Wolf, Schröder, Neumann, Schwarz, Zimmermann, Braun, Krüger,
      Hofmann, Hartmann, Lange, Schmitt, Werner, Krause, Meier, Lehmann, Köhler, Weiß, Groß, Jäger,
      von Bergen, von der Heide, Müller-Lüdenscheidt`),
    male: names(`Lukas, Jonas, Leon, Maximilian, Felix, Paul, Jan, Tobias, Florian, Stefan, Thomas, Michael,
      Andreas, Jürgen, Klaus, Uwe, Dieter, Karl-Heinz, Hans-Peter, Björn, Jörg, Matthias, Sebastian`),
    female: names(`Anna, Lena, Laura, Julia, Sarah, Katharina, Sabine, Petra, Ursula, Monika, Hannelore,
      Lea, Jana, Mia, Sophie, Lisa-Marie, Anne-Kathrin, Käthe, Brigitte, Franziska, Birgit`),
    familyRule: 'shared',
    familyFirst: false,
    middle: { share: 0.35, source: 'given' },
  },
  dutch: {
    family: names(`de Jong, Jansen, de Vries, van den Berg, van der Berg, van Dijk, Bakker, Janssen, Visser,
      Smit, Meijer, de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, Brouwer,
      de Wit, Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok, Jacobs, de Haan`),
    male: names(`Daan, Sem, Lucas, Jan, Pieter, Willem, Thijs, Bram, Ruben, Joost, Sander, Maarten, Bas,
      Niels, Jeroen, Koen, Stijn, Gijs, Hendrik, Johannes`),
    female: names(`Emma, Julia, Sophie, Anouk, Fleur, Sanne, Lotte, Femke, Eva, Marieke, Ilse, Esther,
      Annemarie, Noor, Tess, Lieke, Inge, Mirjam, Anne-Fleur, Saskia`),
    familyRule: 'shared',
    familyFirst: false,
    middle: { share: 0.5, source: 'given' },
  },
  french: {
    family: names(`Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon,
      Laurent, Lefèvre, Michel, David, Bertrand, Roux, Vincent, Fournier, Morel, Girard, André, Lefebvre,
      Mercier, Dupont, Lambert, Bonnet, François, Gauthier, Chevalier, Lemaître, Le Gall, Le Roux,
      Le Goff, de Villiers, Hébert, Côté, Gagné, Bélanger`),
    male: names(`Jean, Pierre, Jean-Pierre, Jean-Luc, Jean-Baptiste, Michel, Philippe, Alain, Nicolas,
      François, Julien, Antoine, Mathieu, Sébastien, Jérôme, Thibault, Hugo, Louis, Gabriel, Théo,
      Raphaël, Léo, Jean-François, Benoît`),
    female: names(`Marie, Anne-Sophie, Marie-Claire, Isabelle, Nathalie, Sophie, Camille, Léa, Chloé,
      Manon, Émilie, Céline, Hélène, Amélie, Inès, Zoé, Élodie, Margaux, Juliette, Marie-Ève, Geneviève`),
    familyRule: 'shared',
    familyFirst: false,
    middle: { share: 0.5, source: 'given' },
  },
  russian: {
    family: names(`Ivanov, Smirnov, Kuznetsov, Popov, Vasilev, Petrov, Sokolov, Mikhailov, Novikov, Fedorov,
      Morozov, Volkov, Alekseev, Lebedev, Semenov, Egorov, Pavlov, Kozlov, Stepanov, Nikolaev, Orlov,
      Andreev, Makarov, Zaitsev, Golubev, Vinogradov, Belov, Kovalenko, Shevchenko, Bondarenko, Melnyk,
      Ilin, Karpov, Frolov`),
    male: names(`Aleksandr, Sergei, Dmitrii, Andrei, Aleksei, Maksim, Ivan, Mikhail, Nikolai, Vladimir,
      Artem, Egor, Pavel, Roman, Denis, Evgenii, Oleg, Igor, Iurii, Kirill`),
    female: names(`Anastasiia, Elena, Olga, Natalia, Tatiana, Irina, Ekaterina, Mariia, Svetlana, Anna,
      Iuliia, Daria, Kseniia, Polina, Viktoriia, Alina, Galina, Liudmila, Valentina, Sofiia`),
    familyRule: 'slavic',
    familyFirst: false,
    // Patronymics; international passports leave them out, Chinese registrations sometimes copy them
    // from a residence permit.
    middle: {
      share: 0.3,
      source: {
        male: names(`Ivanovich, Sergeevich, Aleksandrovich, Vladimirovich, Nikolaevich, Mikhailovich,
          Andreevich, Petrovich, Viktorovich, Iurevich`),
        female: names(`Ivanovna, Sergeevna, Aleksandrovna, Vladimirovna, Nikolaevna, Mikhailovna,
          Andreevna, Petrovna, Viktorovna, Iurevna`),
      },
    },
  },
  korean: {
    family: names(`Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Jang, Lim, Han, Oh, Seo, Shin, Kwon, Hwang,
      Ahn, Song, Yoo, Hong, Jeon, Ko, Moon, Yang, Son, Bae, Baek, Heo, Nam, Noh, Ha, Kwak`),
    // Statistics Korea, 2015 census: Kim 21.5 %, Lee 14.7 %, Park 8.4 %.
    common: { names: ['Kim', 'Lee', 'Park'], share: 0.446 },
    male: names(`Min-jun, Seo-jun, Do-yun, Ji-ho, Ha-jun, Joon-young, Sung-min, Dong-hyun, Jae-won,
      Hyun-woo, Sang-hoon, Young-soo, Jin-ho, Tae-yang, Seung-hyun, Jun-seo, Woo-jin, Kyung-soo`),
    female: names(`Seo-yeon, Ji-woo, Ha-eun, Min-seo, Su-bin, Ji-yeon, Eun-ji, Hye-jin, Yu-na, Soo-ah,
      Mi-young, Young-hee, Ji-hye, Da-eun, Seo-hyun, Yeon-woo, Eun-young, Hyo-jin`),
    familyRule: 'kept',
    familyFirst: true,
  },
  japanese: {
    family: names(`Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Yamamoto, Nakamura, Kobayashi, Kato,
      Yoshida, Yamada, Sasaki, Yamaguchi, Matsumoto, Inoue, Kimura, Hayashi, Shimizu, Saito, Ohno,
      Mori, Ikeda, Hashimoto, Ishikawa, Ogawa, Fujita, Okada, Goto, Hasegawa`),
    male: names(`Haruto, Sota, Yuto, Takumi, Hiroshi, Takeshi, Kenji, Daisuke, Shota, Ryota, Kazuki, Yusuke,
      Makoto, Koji, Naoki, Tatsuya, Ren, Riku`),
    female: names(`Yui, Hina, Aoi, Sakura, Yuki, Akiko, Yoko, Keiko, Naoko, Misaki, Ayaka, Haruka, Mei,
      Emi, Tomoko, Mayumi, Rin, Nanami`),
    familyRule: 'shared',
    familyFirst: true,
  },
  hokkien: {
    family: names(`Tan, Lim, Lee, Ng, Ong, Wong, Goh, Chua, Chan, Koh, Teo, Ang, Yeo, Tay, Ho, Low, Toh, Sim,
      Chong, Chia, Yap, Khoo, Ooi, Cheah, Teh, Lau, Liew, Foo, Quek, Tjoa, Go, Sy`),
    common: { names: ['Tan', 'Lim'], share: 0.25 },
    male: names(`Wei Ming, Boon Kiat, Chee Keong, Kah Wai, Jun Jie, Wee Liang, Kok Leong, Eng Huat, Ah Kow,
      Zhi Hao, Yong Sheng, Beng Hock, Teck Seng, Jia Hao, Kian Meng`),
    female: names(`Mei Ling, Siew Ling, Kah Hui, Hui Min, Li Ting, Pei Shan, Swee Lian, Bee Hoon, Xin Yi,
      Jia Wen, Ai Lin, Geok Choo, Shu Fen, Wan Ting, Yoke Lan`),
    familyRule: 'kept',
    familyFirst: true,
    // An English name beside the Chinese one ("TAN Wei Ming Jason").
    middle: { share: 0.45, source: { male: ENGLISH_MALE, female: ENGLISH_FEMALE } },
  },
  malay: {
    family: names(`Ismail, Abdullah, Ibrahim, Hassan, Othman, Yusof, Rahman, Ahmad, Hamid, Razak, Osman,
      Mohamad, Aziz, Salleh, Kassim, Jaafar, Sulaiman, Zainal`),
    male: names(`Ahmad, Muhammad Hafiz, Mohd Faizal, Amir, Azlan, Hakim, Khairul, Ridzuan, Syafiq, Firdaus,
      Muhammad Danial, Aiman, Zulkifli, Hafizuddin`),
    female: names(`Nur Aisyah, Siti Aminah, Nurul Huda, Farah, Aina, Siti Nurhaliza, Noraini, Zarina,
      Nur Izzati, Aishah, Fatimah, Nadia, Syazwani, Hidayah`),
    familyRule: 'malay',
    familyFirst: false,
  },
  indonesian: {
    family: names(`Santoso, Wijaya, Hidayat, Saputra, Kusuma, Pratama, Setiawan, Gunawan, Sutanto, Halim,
      Susanto, Wibowo, Nugroho, Lestari, Rahayu, Purnomo, Siregar, Simanjuntak, Nasution, Tanoto,
      Hutapea, Sitompul, Suharto, Hartono`),
    male: names(`Budi, Agus, Andi, Dwi, Eko, Rizky, Fajar, Hendra, Yusuf, Bambang, Adi, Joko, Hendrik,
      Teguh, Wahyu, Arief`),
    female: names(`Siti, Dewi, Sri, Ayu, Putri, Wulan, Fitri, Indah, Ratna, Nur, Rina, Yuliana, Kartika,
      Anggun, Maya, Novita`),
    familyRule: 'kept',
    familyFirst: false,
    middle: { share: 0.3, source: 'given' },
  },
  vietnamese: {
    family: names(`Nguyễn, Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý,
      Đinh, Trương, Lâm, Mai`),
    // Nguyễn ≈ 38 %, Trần ≈ 11 %, Lê ≈ 9.5 % (commonly cited figures).
    common: { names: ['Nguyễn', 'Trần', 'Lê'], share: 0.58 },
    male: names(`Anh, Hùng, Dũng, Tuấn, Nam, Long, Minh, Huy, Khoa, Phúc, Quang, Thắng, Sơn, Hải, Đức, Bảo`),
    female: names(
      `Lan, Hương, Linh, Trang, Mai, Hà, Thảo, Ngọc, Hoa, Nhung, Hằng, Phương, Thủy, Yến, Vy, Giang`,
    ),
    familyRule: 'kept',
    familyFirst: true,
    middle: {
      share: 0.9,
      first: true,
      source: {
        male: names('Văn, Văn, Văn, Hữu, Đức, Minh, Quốc, Thanh, Công, Xuân'),
        female: names('Thị, Thị, Thị, Ngọc, Thanh, Thu, Kim, Minh, Bích, Phương'),
      },
    },
  },
  indian: {
    family: names(`Sharma, Patel, Singh, Kumar, Gupta, Reddy, Iyer, Nair, Menon, Rao, Shah, Mehta, Joshi,
      Desai, Kapoor, Verma, Agarwal, Banerjee, Chatterjee, Das, Pillai, Krishnan, Bhattacharya, Malhotra`),
    male: names(`Rahul, Amit, Arjun, Vikram, Sanjay, Rajesh, Suresh, Anil, Rohan, Aditya, Karthik, Pranav,
      Deepak, Ravi, Nikhil, Varun, Manoj`),
    female: names(`Priya, Anjali, Pooja, Neha, Divya, Kavya, Lakshmi, Sunita, Meera, Aishwarya, Shreya,
      Ananya, Deepika, Swati, Nandini`),
    familyRule: 'shared',
    familyFirst: false,
    middle: {
      share: 0.35,
      source: {
        male: names('Kumar, Kumar, Prasad, Chandra, Mohan, Lal, Nath, Prakash'),
        female: names('Kumari, Devi, Rani, Lakshmi'),
      },
    },
  },
  thai: {
    family: names(`Srisawat, Chaiyaporn, Wongsawat, Suwannarat, Thongchai, Rattanakorn, Phromma, Kaewkham,
      Bunnag, Charoenpol, Sirisombat, Jaidee, Saetang, Saelim, Saeheng, Boonmee, Chantarasiri,
      Sukprasert, Thammasat, Intharasombat`),
    male: names(`Somchai, Somsak, Anan, Prasert, Wichai, Thanakorn, Kittisak, Nattapong, Chaiwat, Surachai,
      Apichart, Teerapong, Pongsakorn, Sakda`),
    female: names(`Siriporn, Malee, Nattaya, Kanokwan, Pimchanok, Suda, Wannee, Ratana, Supaporn, Orathai,
      Sasithorn, Kulap, Araya, Duangjai`),
    familyRule: 'shared',
    familyFirst: false,
  },
};
